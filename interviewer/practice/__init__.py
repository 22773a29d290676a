"""Spaced practice: rate each interview answer, schedule its next review with FSRS, report
progress. Front ends call `scheduler`, `selection` and `stats`; the engine calls
`scheduler.schedule_turn` after every grade of an interview answer."""
