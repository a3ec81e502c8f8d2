"""Referrals and intake: referrers, e-referrals, faxed forms, the 24-hour contact promise."""
