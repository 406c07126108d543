"""The tasks app's API: viewsets that find objects through the same visibility rule as the
pages (404 for what the user may not see) and act through the same services (403 for what
they see but may not do, 400 for what the services refuse)."""
