module libants/ants

go 1.21
