"""Hvad nu hvis: the multi-year budget projection, scenario levers, saved scenarios and the
forecast's proven accuracy (issue 15). projection, levers and accuracy are pure functions of query
frames; service runs them for a role; store keeps saved scenarios in the state store."""
