"""The vault file: format, encryption, frames, the TinyDB storage over them, locking, backups and the audit table."""
