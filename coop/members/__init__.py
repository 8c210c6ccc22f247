"""Members, households and member cards."""
