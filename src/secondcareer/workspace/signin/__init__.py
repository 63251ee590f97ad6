"""Staff sign-in: password (django-axes counting failures), then the second factor
(django-otp), and the session's lifetime. docs/adr/0014-staff-sign-in.md."""
