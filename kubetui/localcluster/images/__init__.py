"""The image catalogue and image references: what an image contains, runs and listens on."""
