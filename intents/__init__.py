"""Understanding and answering, transport-neutral and free of clocks and I/O.

    reading/   normalize → matcher (names) · morph (mecab) · vocab · aspect → understand: one Query
    answers/   one module per question intent (contact, budget, compute, program, task, meeting, search …)
    writes/    roles (access), /log (progress), /meeting (schedule; recurring ones: series), /due (deadline),
               /action (actions), grants (admin), the command table
    dates/     Korean date phrases and holidays (when), recurrence phrases (recurrence) and rules told in Korean
               (rules), due dates (due), reminder and deadline-reminder planning, quiet hours, .ics files
    registry   every intent and command: the role it needs, its help line, its menu entry
    engine     routes a Message through reading → an answer or a write, returning a Reply
"""
