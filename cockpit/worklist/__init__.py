"""Worklists (Fra signal til handling): adjustment signals, expensive citizens, overdue follow-ups,
contracts to renegotiate and external grants without contract as items with a status, a
responsible person, a due date and a note, closed by the data themselves when the cause is gone.

- items.py: the items of each kind from the citizen lists (stable key, `since`), labels;
- resolution.py: resolved in data, money realised, time to action and resolution, aggregates;
- store.py: the state store (statuses, note history) with optimistic concurrency and audit;
- service.py: what the pages (cockpit/ui/worklist.py) and the command ask for.
"""
