"""Presentation: Danish number and date formatting (cockpit/present/fmt.py), the one set of labels
(cockpit/present/labels.py) and the Altair charts with the Danish locale
(cockpit/present/charts.py); pure, no Streamlit."""
