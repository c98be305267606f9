"""The rep's plan: the week's calendar and the day's route."""
