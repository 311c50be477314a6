t_b1_low = "B1 ns per empty task, concurrency 2"
t_b1_high = "B1 ns per empty task, concurrency 64"
t_b2_big = "B2 sleeping tasks, wall / ideal, capacity 10,000"
t_b2_small = "B2 sleeping tasks, wall / ideal, capacity 1,000"
