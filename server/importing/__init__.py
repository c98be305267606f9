"""Master data import: CSV with a column mapping, and HL7 FHIR R4 (the seeds' "one interface
for outside systems"). Parsers turn input into validated records (`records`); `upsert` writes
them by external id and tells per row what happened."""
