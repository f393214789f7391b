"""The social accelerator: enterprise enrolments, milestones and growth figures."""
