"""Reference page: nothing but the Streamlit import; the floor cost of one rerun (bench/README.md)."""

import streamlit as st  # noqa: F401
