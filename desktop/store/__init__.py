"""Storage: engine set-up, ORM mapping, unit of work, queries and migrations."""
