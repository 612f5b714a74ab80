"""Flask routes beside the Dash pages: health and (later) API and exports."""
