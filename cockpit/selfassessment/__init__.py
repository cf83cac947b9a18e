"""Styringsoverblik (issue 19): the municipality's own assessment on KL's seven themes, held against
what the data show. questions loads the question set (questions.csv, each question with its source,
next step and, where the data can speak, a KPI and a contradiction rule); scoring holds the pure
rules (theme score, next steps, contradictions, year on year); store keeps the answers per year in
the state store (migration 030_selfassessment.sql) and seeds the demo's two years."""
