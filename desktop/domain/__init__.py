"""Plain records, enumerations and validation rules of the casebook (stdlib only)."""
