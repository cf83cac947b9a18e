"""The bench (`python -m cockpit bench`, `make bench`), the load test (`python -m
tools.bench.loadtest`) and the browser harness they share with the browser tests:

- harness: a cockpit server on loopback, Chromium through Playwright, a Tab that waits for Streamlit
- workers: measurements in a fresh process; report: BENCHMARKS.md; run: the whole bench
- loadtest: concurrent websocket sessions against a local cockpit
"""
