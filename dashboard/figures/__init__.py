"""Pure figure builders: DataFrame in, Plotly figure as a plain dict out (no validation cost)."""
