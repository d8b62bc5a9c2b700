"""What writers run besides a build: publish new, import, init and check."""
