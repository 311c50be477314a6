module libants/ants

go 1.23
