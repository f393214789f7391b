"""State indices and the fixed economic meaning of each state.

The states are those of :class:`brobygger.scenario.schema.State`, in that order. What a
state *costs* is decided here once (benefit, job, education, nothing) and used by the exact
propagation, the Monte Carlo and the settlement alike.
"""

from __future__ import annotations

import numpy as np

from brobygger.scenario.schema import State

STATES: tuple[State, ...] = tuple(State)
N_STATES = len(STATES)
INDEX = {s: i for i, s in enumerate(STATES)}

REFERRED = INDEX[State.referred]
INDUCTION = INDEX[State.induction]
JOBSEEKING = INDEX[State.jobseeking]
JOB_ACCELERATOR = INDEX[State.job_accelerator]
JOB_OTHER = INDEX[State.job_other]
EDUCATION = INDEX[State.education]
BENEFIT = INDEX[State.benefit]
EXITED = INDEX[State.exited]


def mask(*states: int) -> np.ndarray:
    out = np.zeros(N_STATES, dtype=bool)
    out[list(states)] = True
    return out


#: states in which the citizen receives the profile's benefit (kontanthjælp etc.)
ON_BENEFIT = mask(REFERRED, INDUCTION, JOBSEEKING, BENEFIT)
#: employed states (the job type decides hours, wage and subsidy)
IN_JOB = mask(JOB_ACCELERATOR, JOB_OTHER)
#: states that count as "off benefit" for the off_benefit_month trigger
OFF_BENEFIT = mask(JOB_ACCELERATOR, JOB_OTHER, EDUCATION)
#: the programme's own states: a participant leaves the programme by moving out of them
IN_PROGRAMME = mask(REFERRED, INDUCTION, JOBSEEKING)
#: what a completed induction course leads to (anything but drop-out or exit)
COMPLETION_TARGETS = mask(JOBSEEKING, JOB_ACCELERATOR, JOB_OTHER, EDUCATION)
