# plot.gp - the chart of bench/results/results.md, from the .dat files that
# ants_bench --results-dir writes. Run by bench/run.sh:
#   gnuplot -e "dir='bench/results'; out='bench/results/chart.png'; subtitle='...'" bench/plot.gp
# libants rows (labels starting "libants") are drawn in orange, Go's ants in green.
# noenhanced: pool names contain underscores, which are not subscripts.
set terminal pngcairo size 1500,2500 font "Sans,10" noenhanced
set output out
load dir.'/titles.gp'

set datafile missing "NaN"
set style fill solid 0.85 border -1
set boxwidth 0.7
set grid ytics
set key off
set xtics rotate by -35 left nomirror
set bmargin 8
set ytics nomirror
bar(label) = (strstrt(label, "libants") == 1 ? 0xE66100 : \
              strstrt(label, "Go ants") == 1 ? 0x1B9E77 : 0x5E88B5)

set multiplot layout 5,2 title "libants vs peer pools (medians; bars show min–max). ".subtitle

# A bar chart of column 2 with min/max whiskers from columns 3 and 4.
# Logscale panels: bars start at the bottom of the range.
set title t_b1_low." (lower is better)"
set logscale y
set ylabel "ns per task"
plot dir.'/b1_low.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1

set title t_b1_high." (lower is better)"
plot dir.'/b1_high.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1

set title t_b2_big." (1 = ideal)"
set ylabel "wall / ideal"
plot dir.'/b2_big.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1

set title t_b2_small." (1 = ideal)"
plot dir.'/b2_small.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1

set title "B3 CPU-bound ~1 µs tasks, concurrency 2, wall / ideal (1 = ideal)"
plot dir.'/b3.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1

set title "B4 wake-up latency, µs: p50 (bar) and p99 (diamond)"
set ylabel "µs"
plot dir.'/b4.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1, \
     '' using 0:5 with points pt 13 ps 1.5 lc rgb "black"

unset logscale y
set title "B5 RSS per idle worker, KiB (lower is better)"
set ylabel "KiB"
set yrange [0:*]
plot dir.'/b5.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1

set title "B6 heap allocations per submitted task (lower is better)"
set ylabel "allocations"
plot dir.'/b6.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1

set title "B7 nested fork-join, speed-up over serial: 2 threads (bar), 1 thread (diamond); higher is better"
set ylabel "serial time / wall time"
set yrange [0:2.2]
plot dir.'/b7_c2.dat' using 0:2:(bar(strcol(1))):xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb "black" pt -1, \
     dir.'/b7_c1.dat' using 0:2 with points pt 13 ps 1.5 lc rgb "black", \
     2 with lines dt 2 lc rgb "gray50"

unset multiplot
