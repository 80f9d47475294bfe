"""How format-v1.vault was made (run once, kept for the record; do not regenerate it).

The saved file is the point: future readers must still open what this version wrote.
"""

from pathlib import Path

from storage import Vault

PASSPHRASE = "saved format one example passphrase"
CLIENTS = [
    {"id": "c-0001", "name": "Robin Quillfeather", "diagnoses": ["F41.1"]},
    {"id": "c-0002", "name": "Marisol Oakhaven", "diagnoses": ["F32.1", "Z63.0"]},
]
NOTES = [
    {
        "id": "n-0001",
        "client_id": "c-0001",
        "format": "DAP",
        "minutes": 50,
        "text": "Data: reviewed the sleep diary. Café visit went well — «calm».",
    },
    {
        "id": "n-0002",
        "client_id": "c-0002",
        "format": "SOAP",
        "minutes": 38,
        "text": "Subjective: PHQ-9 total 11.",
    },
]

if __name__ == "__main__":
    path = Path(__file__).with_name("format-v1.vault")
    with Vault.create(path, PASSPHRASE) as vault:
        vault.db.table("clients").insert_multiple(CLIENTS)
        vault.db.table("notes").insert(NOTES[0])
        vault.compact()  # generation 2: a snapshot, then appended frames
        vault.db.table("notes").insert(NOTES[1])
        vault.db.table("notes").update({"signed": True}, doc_ids=[1])
        vault.record_event("signed", "n-0001")
    for extra in (".lock", ".bak"):
        Path(f"{path}{extra}").unlink()
