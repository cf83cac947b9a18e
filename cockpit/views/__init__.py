"""Views: pure builders of tables, sentences and chart data from the DataFrames the gateway returns
(no Streamlit, no database)."""
