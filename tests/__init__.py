"""Tests of the casebook."""
