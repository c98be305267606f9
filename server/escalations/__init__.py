"""Medical inquiries on the server: routing to the MSL who covers them, the rules a push of
an inquiry or an answer must keep, and reassignment (issue 8)."""
