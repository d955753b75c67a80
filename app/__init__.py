"""The web app and the command line (应用入口与命令行)."""
