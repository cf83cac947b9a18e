"""Readers for what municipalities already produce: the FFB uddatasæt (FHIR R4 bundles), ERP postings
(G69 or plain CSV) and the case system's grant extract. CPR numbers are pseudonymised at the door
(pseudonym.py); the readers assemble contract tables (assemble.py) and hand them to the ordinary
import (`cockpit.ingest.import_folder`), so its guarantees hold. Entry point: `run.import_sources`."""
