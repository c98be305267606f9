"""Sales and market figures on screen: the product trend and share of market."""
