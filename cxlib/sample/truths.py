"""The planted truths and their sizes: the one place for every number data/sample/README.md quotes.

Latent-scale shifts are in standard deviations of the per-response noise; shares in percent;
times in business hours (Mon-Fri 09:00-17:00, Dutch public holidays off).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "SNOW_FIRST",
    "SNOW_LAST",
    "SNOW_TICKET_FACTOR",
    "SNOW_DELAY_FACTOR",
    "SNOW_UNANSWERED",
    "SNOW_EFFORT_SHIFT",
    "SNOW_SATISFACTION_SHIFT",
    "SNOW_SUPPORT_EFFORT_SHIFT",
    "SNOW_COMMENT_SHARE",
    "SNOW_COMMENT_P",
    "TRAINED_TEAM",
    "TRAINING_DONE",
    "TEAM_CSAT",
    "TRAINED_CSAT_AFTER",
    "CSAT_TARGET",
    "CHURN_HAZARD",
    "CHURN_DELAY_DAYS",
    "SILENT_CHURN",
    "EFFORT_WEIGHT",
    "SATISFACTION_WEIGHT",
    "SATISFACTION_FROM_EFFORT",
    "LOYALTY_WEIGHT",
    "NOISE_WEIGHT",
    "FRICTION_EFFORT",
    "HIDDEN_NPS_START",
    "HIDDEN_NPS_SLOPE",
    "HIDDEN_NPS_JITTER",
    "TOTAL_NPS",
    "TOTAL_NPS_JITTER",
    "PEAK_FIRST",
    "PEAK_LAST",
    "PEAK_TICKET_FACTOR",
    "WEEK_NOISE",
    "WEAK_FOLLOW_UP_TEAM",
    "WEAK_FOLLOW_UP_PASS",
    "STANDARD_PASS",
    "BEHAVIOUR_PASS",
    "COMMENT_P",
    "PII_SHARE",
    "HTML_SHARE",
    "HTML_MIN",
    "MULTILINE_SHARE",
    "UNANSWERED",
    "FIRST_RESPONSE_MEDIAN",
    "FIRST_RESPONSE_SIGMA",
    "SLA_HOURS",
]

# 1. Snow week ---------------------------------------------------------------------------------
SNOW_FIRST = np.datetime64("2026-01-05", "D")  # Monday
SNOW_LAST = np.datetime64("2026-01-11", "D")  # Sunday
SNOW_TICKET_FACTOR = 3.0  # daily ticket volume x3
SNOW_DELAY_FACTOR = 3.0  # every first-response delay x3 (business hours)
SNOW_UNANSWERED = 0.04  # share of tickets never answered (normal: UNANSWERED)
SNOW_EFFORT_SHIFT = -1.2  # latent effort shift for delivery and installation responses
SNOW_SATISFACTION_SHIFT = -0.4  # extra latent satisfaction shift for the same responses
SNOW_SUPPORT_EFFORT_SHIFT = -0.4  # latent effort shift for support responses
SNOW_COMMENT_SHARE = 0.85  # share of delivery/installation comments that week about snow/delay
SNOW_COMMENT_P = 0.65  # comment probability of delivery/installation responses that week

# 2. Training effect ---------------------------------------------------------------------------
TRAINED_TEAM = "Service Oost"
TRAINING_DONE = np.datetime64("2025-07-18", "D")
# CSAT (% answering 4-5) per team; the trained team before / after TRAINING_DONE
TEAM_CSAT = {
    "Service Noord": 81.0,
    "Service Oost": 62.0,
    "Service Zuid": 79.0,
    "Service West": 84.0,
    "Field Noord": 83.0,
    "Field Oost": 80.0,
    "Field Zuid": 76.0,
    "Field West": 85.0,
}
TRAINED_CSAT_AFTER = 77.0  # +15 points
CSAT_TARGET = 75.0  # goals.yaml

# 3. Detractor churn: churn hazard after a response, by NPS group of that response -------------
CHURN_HAZARD = {"detractor": 0.10, "passive": 0.045, "promoter": 0.030}
CHURN_DELAY_DAYS = (10.0, 40.0)  # churn date = trigger response + 10 days + Exp(mean 40 days)
SILENT_CHURN = 0.06  # churn probability of customers who never answered an NPS question

# 4. Effort drives NPS: latent loyalty = EFFORT_WEIGHT * effort + SATISFACTION_WEIGHT * own
# satisfaction part + LOYALTY_WEIGHT * customer loyalty + NOISE_WEIGHT * noise
EFFORT_WEIGHT = 0.85
SATISFACTION_WEIGHT = 0.35
SATISFACTION_FROM_EFFORT = 0.55  # latent satisfaction = 0.55 * effort + 0.8 * noise + team level
LOYALTY_WEIGHT = 0.30
NOISE_WEIGHT = 0.60
FRICTION_EFFORT = -0.25  # customer friction lowers effort and draws tickets

# 5. Hidden segment: enterprise x billing NPS per quarter; the total NPS stays flat ----------
HIDDEN_NPS_START = 20.0  # 2024-Q4
HIDDEN_NPS_SLOPE = -7.0  # points per quarter -> -29 in 2026-Q3
HIDDEN_NPS_JITTER = 2.0  # sd of a fixed per-quarter wobble around the line
TOTAL_NPS = 31.0  # every quarter
TOTAL_NPS_JITTER = 0.5

# 6. Autumn peak -------------------------------------------------------------------------------
PEAK_FIRST = np.datetime64("2025-10-13", "D")  # Monday
PEAK_LAST = np.datetime64("2025-11-09", "D")  # Sunday: four ISO weeks 42-45
PEAK_TICKET_FACTOR = 1.8
WEEK_NOISE = 0.05  # weekly volume multiplier ~ Uniform(1 - 0.05, 1 + 0.05)

# 7. Weak follow-up ----------------------------------------------------------------------------
WEAK_FOLLOW_UP_TEAM = "Field Zuid"
WEAK_FOLLOW_UP_PASS = 0.42
# pass probability = base + slope * (team CSAT - 80) / 100
STANDARD_PASS = (0.86, 0.8)
BEHAVIOUR_PASS = {"initiative": (0.74, 1.0), "follow_up": (0.82, 1.0), "resolved_before_escalation": (0.80, 0.8)}

# 8. Comments ----------------------------------------------------------------------------------
COMMENT_P = {"detractor": 0.50, "passive": 0.30, "promoter": 0.35, "none": 0.25}
PII_SHARE = 0.01  # of comments
HTML_SHARE = 0.0008  # of comments, at least HTML_MIN
HTML_MIN = 6
MULTILINE_SHARE = 0.04  # of comments

# Tickets (normal weeks) -----------------------------------------------------------------------
UNANSWERED = 0.015
FIRST_RESPONSE_MEDIAN = (0.15, 1.7, 0.3, 2.1)  # business hours: phone, email, chat, web
FIRST_RESPONSE_SIGMA = 0.8  # lognormal sigma
SLA_HOURS = 4.0
