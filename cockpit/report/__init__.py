"""Udvalgsrapporten: the quarterly budget follow-up and strategy status as the paper the committee
reads. The model (cockpit/report/model.py) is built through the access gateway as the politiker
role gets the figures (aggregates only, small numbers suppressed); pdf.py and word.py render it."""
