"""Small reusable input widgets."""
