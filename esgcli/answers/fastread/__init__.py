"""answers/fastread"""
