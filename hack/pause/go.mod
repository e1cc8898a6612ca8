module archipelago.dev/pause

go 1.22
