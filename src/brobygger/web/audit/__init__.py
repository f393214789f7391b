"""The audit log: who read or changed which participant's personal data, when, from where."""
