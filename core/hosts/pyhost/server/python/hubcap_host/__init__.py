"""The Python side of hubcap-pyhost: a JSON-lines server for static and runtime hub browsing."""
