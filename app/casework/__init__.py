"""Today's township casework (DOMAIN.md §11): 生育登记 (birth registration) and 证明 letters."""
