"""Streamlit glue shared by the pages: session state and the few display pieces they repeat."""
