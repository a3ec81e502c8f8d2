"""The staff web interface's shell: layout, navigation by role, language, health check."""
