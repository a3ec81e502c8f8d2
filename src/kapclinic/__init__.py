"""kapclinic: clinic platform for ketamine-assisted psychotherapy."""
