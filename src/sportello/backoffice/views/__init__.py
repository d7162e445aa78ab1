"""The back office's pages: the queue, a request's page and its actions, the register, the broadcasts."""
