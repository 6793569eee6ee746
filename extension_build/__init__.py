"""Builds the browser extension from extension/, manifest.json and shared_schemas/ (`herald build-extension`).

Build tooling, not part of the server: the app never imports it (only the CLI command does, when run).
The code is in extension_build.build.
"""
