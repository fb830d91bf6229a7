"""Messages by e-mail: the outbox zone, the SMTP settings dialog, the automatic sending."""
