"""The checks: each family of rules in its module, run together by core.checks.review.check_note."""
