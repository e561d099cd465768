"""Database: engines and sessions, the declarative base, pagination and Alembic migrations."""
