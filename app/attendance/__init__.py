"""Staff attendance (考勤及请销假, DOMAIN.md §8, seed 篇二): staff, calendar, schedules, punches,
leave and its approval chain, the rules engine, the month summary and its posting. No Qt."""
