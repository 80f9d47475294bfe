"""The records kept in the vault: repositories that turn documents into core objects, export and import."""
