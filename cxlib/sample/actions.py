"""The action ledger of the sample company: 47 actions over the eight quarters (fixed, not random).

Action A019 is the planted training of the low-CSAT team (truth 2). Statuses follow the contract
(open, in_progress, done, cancelled; done needs done_on). Owners are the team leads.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from cxlib.sample.company import TZ

__all__ = ["OWNERS", "STATUSES", "KPIS", "LEDGER", "TRAINING_ACTION", "INVALID_ACTION", "actions_frame"]

OWNERS = {
    "Service Noord": "Ingrid Bos", "Service Oost": "Ruben Hendriks",
    "Service Zuid": "Yasmina Ouali", "Service West": "Bram de Wit",
    "Field Noord": "Henk Postma", "Field Oost": "Mirjam Kok",
    "Field Zuid": "Joost Verbeek", "Field West": "Linda Schouten",
}
STATUSES = ("open", "in_progress", "done", "cancelled")
KPIS = ("nps", "csat", "ces", "complaint_rate", "first_response_time", "sla_attainment",
        "compliance", "behaviour")

# created_on, team, kpi, status, due_on, done_on, trigger, description
LEDGER = (
    ("2024-10-14", "Service West", "nps", "done", "2024-11-29", "2024-11-22",
     "Detractors of 2024-Q3 not called back", "Call back every detractor within 5 working days"),
    ("2024-10-21", "Field Noord", "ces", "done", "2024-12-20", "2024-12-13",
     "CES installation below target 5.3",
     "Send the installation checklist and a fixed time slot the day before"),
    ("2024-11-04", "Service Zuid", "compliance", "done", "2024-12-06", "2024-12-02",
     "Mystery guest: identity check often skipped",
     "Refresh the identity-check script in the team meeting"),
    ("2024-11-18", "Service Noord", "first_response_time", "done", "2025-01-31", "2025-01-24",
     "E-mail first response slower than phone and chat", "E-mail triage rota at 09:00 and 13:00"),
    ("2024-12-02", "Field West", "nps", "done", "2025-01-31", "2025-01-20",
     "Many promoters after installations", "Referral card with every installation"),
    ("2024-12-09", "Service Oost", "csat", "done", "2025-01-31", "2025-01-17",
     "CSAT 2024-Q4 below target 75%", "Share best practices from Service West in the team meeting"),
    ("2025-01-13", "Field Zuid", "behaviour", "cancelled", "2025-03-28", None,
     "Follow-up passed in fewer than half of the coach visits",
     "Add a follow-up call to the job card (superseded by A016)"),
    ("2025-01-20", "Service West", "complaint_rate", "done", "2025-03-14", "2025-03-07",
     "Complaints about invoices rising", "Root-cause review of invoice complaints with Finance"),
    ("2025-02-03", "Field Oost", "ces", "done", "2025-03-28", "2025-03-21",
     "CES delivery below target", "Delivery time window by SMS the evening before"),
    ("2025-02-17", "Service Zuid", "nps", "done", "2025-03-31", "2025-03-24",
     "Detractors of 2025-Q1", "Call back detractors and log the common thread"),
    ("2025-03-03", "Field Noord", "compliance", "done", "2025-04-25", "2025-04-11",
     "Spot checks: case not always recorded", "Make the job report in the field app mandatory"),
    ("2025-03-17", "Service Noord", "sla_attainment", "done", "2025-05-02", "2025-04-30",
     "SLA attainment below 90% on Mondays", "Extra staff on Monday mornings"),
    ("2025-04-07", "Service Oost", "csat", "cancelled", "2025-06-27", None,
     "CSAT 2025-Q1 below target 75%",
     "Weekly call-listening sessions (replaced by the training, A019)"),
    ("2025-04-14", "Field West", "nps", "done", "2025-05-30", "2025-05-23",
     "Promoters of 2025-Q1", "Ask promoters for a referral or a review"),
    ("2025-04-28", "Service West", "ces", "done", "2025-06-27", "2025-06-20",
     "CES billing lowest of all touchpoints", "Simplify the invoice layout"),
    ("2025-05-12", "Field Zuid", "behaviour", "done", "2025-06-13", "2025-06-13",
     "Follow-up passed in fewer than half of the coach visits",
     "Team lead checks follow-up calls weekly"),
    ("2025-05-26", "Service Zuid", "first_response_time", "done", "2025-07-11", "2025-07-04",
     "Chat first response slower in the evening", "Chat staffing until 17:00 every weekday"),
    ("2025-06-09", "Field Oost", "compliance", "done", "2025-07-25", "2025-07-18",
     "Coach visits: next steps not always agreed", "Closing checklist for every visit"),
    ("2025-07-03", "Service Oost", "csat", "done", "2025-08-29", "2025-07-18",
     "CSAT 2025-Q2 62% below target 75% (95% interval entirely below target)",
     "Training 'customer-focused conversations' for all Service Oost agents, "
     "with coaching on the job"),
    ("2025-07-07", "Service Noord", "nps", "done", "2025-08-15", "2025-08-08",
     "Detractors of 2025-Q2", "Call back detractors within 5 working days"),
    ("2025-07-21", "Field Noord", "ces", "done", "2025-09-12", "2025-09-05",
     "CES installation below target 5.3", "One point of contact per installation"),
    ("2025-08-11", "Service West", "sla_attainment", "done", "2025-09-30", "2025-09-26",
     "Heating season expected to double contacts in October",
     "Peak plan: temporary staff for October and November"),
    ("2025-08-25", "Field West", "complaint_rate", "done", "2025-10-10", "2025-10-03",
     "Complaints about noise after installation", "Noise measurement at every handover"),
    ("2025-09-08", "Service Zuid", "compliance", "done", "2025-10-24", "2025-10-17",
     "Mystery guest: next steps not always agreed", "Role play on closing a call"),
    ("2025-10-06", "Field Zuid", "behaviour", "in_progress", "2025-12-19", None,
     "Follow-up still passed in fewer than half of the visits",
     "Coaching on the job for follow-up"),
    ("2025-10-13", "Service Oost", "csat", "done", "2025-11-28", "2025-11-28",
     "CSAT back above target after the training", "Refresher of the training for new hires"),
    ("2025-11-17", "Service Noord", "first_response_time", "done", "2025-12-12", "2025-12-12",
     "Autumn peak weeks 42-45: ticket volume about 1.8x normal", "Evaluate the peak plan"),
    ("2025-11-24", "Field Oost", "nps", "done", "2025-12-19", "2025-12-19",
     "Promoters of 2025-Q3", "Ask promoters for a referral"),
    ("2025-12-01", "Service West", "complaint_rate", "done", "2026-01-30", "2026-01-23",
     "Complaints about double debits", "Fix the double-debit bug in the billing run"),
    ("2025-12-08", "Field Noord", "compliance", "cancelled", "2026-02-27", None,
     "Spot checks: tidy workplace", "Cleaning kit in every van (postponed to the next budget)"),
    ("2026-01-12", "Service Noord", "sla_attainment", "done", "2026-02-27", "2026-02-20",
     "Snow week 2026-01-05: first response 3x slower, SLA attainment fell",
     "Weather contingency plan: overflow to all service teams"),
    ("2026-01-12", "Field Noord", "ces", "done", "2026-03-13", "2026-03-06",
     "Snow week: CES of delivery and installation dipped",
     "Proactive SMS when appointments move because of the weather"),
    ("2026-01-26", "Service Zuid", "nps", "done", "2026-02-27", "2026-02-13",
     "Detractors of the snow week", "Call back snow-week detractors with a new appointment"),
    ("2026-02-09", "Field West", "ces", "done", "2026-03-27", "2026-03-20",
     "CES installation below target 5.3", "Pre-visit video call for complex installations"),
    ("2026-02-23", "Service Oost", "compliance", "done", "2026-04-10", "2026-04-03",
     "Mystery guest: case not always recorded", "Case-note template in the CRM"),
    ("2026-03-09", "Field Zuid", "behaviour", "in_progress", "2026-05-29", None,
     "Follow-up passed in fewer than half of the visits", "Follow-up reminder in the field app"),
    ("2026-04-06", "Service West", "nps", "done", "2026-05-15", "2026-05-08",
     "Promoters of 2026-Q1", "Referral campaign with a discount on maintenance"),
    ("2026-04-13", "Field Oost", "complaint_rate", "done", "2026-05-29", "2026-05-22",
     "Complaints about missed appointments", "Appointment confirmation by app the day before"),
    ("2026-04-27", "Service Noord", "ces", "in_progress", "2026-07-31", None,
     "CES support below target 5.3", "Callback option instead of waiting in the queue"),
    ("2026-05-11", "Field Noord", "compliance", "done", "2026-06-26", "2026-06-19",
     "Spot checks: identity check skipped", "Identity check on the job card"),
    ("2026-05-25", "Service Zuid", "csat", "done", "2026-07-03", "2026-06-26",
     "CSAT of billing contacts lower than of support", "Billing FAQ for agents"),
    ("2026-06-08", "Field West", "behaviour", "done", "2026-07-17", "2026-07-10",
     "Initiative: explain maintenance plan", "Offer the maintenance plan at every handover"),
    ("2026-07-06", "Service West", "nps", "open", "2026-10-30", None,
     "Enterprise x billing NPS falling every quarter since 2024-Q4 while the total is flat",
     "Account review on invoicing with every enterprise customer"),
    ("2026-07-13", "Service Oost", "sla_attainment", "open", "2026-10-16", None,
     "SLA attainment of e-mail below 80%", "Auto-acknowledge e-mails with an expected reply time"),
    ("2026-08-03", "Field Zuid", "behaviour", "open", "2026-09-25", None,
     "Follow-up still passed in fewer than half of the visits",
     "Buddy system with Field West for follow-up"),
    ("2026-08-17", "Service Noord", "nps", "in_progress", "2026-10-16", None,
     "Detractors of 2026-Q2", "Call back detractors within 5 working days"),
    ("2026-09-07", "Field Oost", "ces", "open", "2026-11-27", None,
     "CES delivery below target 5.3", "Live tracking of the delivery van in the app"),
)
TRAINING_ACTION = "A019"
INVALID_ACTION = "A040"  # loses its done_on in cxlib.sample.invalid (a planted invalid row)


def actions_frame() -> pd.DataFrame:
    """The ledger as a frame with canonical dtypes."""
    created, team, kpi, status, due, done, trigger, description = zip(*LEDGER)

    def dates(values) -> pd.Series:
        arr = np.array([v if v else "NaT" for v in values], dtype="datetime64[D]")
        return pd.Series(arr.astype("datetime64[s]")).dt.tz_localize(TZ)

    return pd.DataFrame({
        "action_id": pd.Series([f"A{i:03d}" for i in range(1, len(LEDGER) + 1)], dtype="string"),
        "created_on": dates(created),
        "team": pd.Series(team, dtype="string"),
        "owner": pd.Series([OWNERS[t] for t in team], dtype="string"),
        "kpi": pd.Categorical(kpi, categories=KPIS),
        "trigger": pd.Series(trigger, dtype="string"),
        "description": pd.Series(description, dtype="string"),
        "status": pd.Categorical(status, categories=STATUSES),
        "due_on": dates(due),
        "done_on": dates(done),
    })
