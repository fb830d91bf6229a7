"""Renderers: data in, bytes out (reportlab PDFs, python-docx letters). No database, no Qt."""
