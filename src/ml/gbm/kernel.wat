;; The gbm trainer's inner loops in WebAssembly (histogram.ts says why; kernel.ts loads it).
;; tools/wasm/build-gbm-kernel.ts compiles this file into kernel-wasm.ts, twice: once importing a
;; shared memory (threads), once a plain one; test/gbm-kernel.test.ts checks both are up to date.
;;
;; Every pointer is a byte offset into the imported memory. Histogram slots are three doubles
;; (gradient sum, hessian sum, count), a feature's first slot at hist + slot[a] * 8 bytes; bins
;; are one byte per cell, column-major, `rows` to a column; gradients are floats, the k-th
;; belonging to the k-th row of `order`.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; One feature: hist slot of bins[col + order[k]] += (g[k], h[k], 1) for k < n.
  (func $one (param $col i32) (param $s i32) (param $op i32) (param $n i32) (param $gp i32) (param $hp i32)
    (local $k i32) (local $a i32) (local $four i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $four (i32.shl (local.get $k) (i32.const 2)))
        (local.set $a
          (i32.add (local.get $s)
            (i32.mul
              (i32.load8_u (i32.add (local.get $col) (i32.load (i32.add (local.get $op) (local.get $four)))))
              (i32.const 24))))
        (f64.store offset=0 (local.get $a)
          (f64.add (f64.load offset=0 (local.get $a)) (f64.promote_f32 (f32.load (i32.add (local.get $gp) (local.get $four))))))
        (f64.store offset=8 (local.get $a)
          (f64.add (f64.load offset=8 (local.get $a)) (f64.promote_f32 (f32.load (i32.add (local.get $hp) (local.get $four))))))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))

  ;; Four features in one pass: each row's order entry and gradients are read once for the four,
  ;; and the four updates go to four histograms, so they do not wait on each other.
  (func $four
    (param $c0 i32) (param $c1 i32) (param $c2 i32) (param $c3 i32)
    (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $s3 i32)
    (param $op i32) (param $n i32) (param $gp i32) (param $hp i32)
    (local $k i32) (local $r i32) (local $four i32) (local $gk f64) (local $hk f64) (local $a i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $four (i32.shl (local.get $k) (i32.const 2)))
        (local.set $r (i32.load (i32.add (local.get $op) (local.get $four))))
        (local.set $gk (f64.promote_f32 (f32.load (i32.add (local.get $gp) (local.get $four)))))
        (local.set $hk (f64.promote_f32 (f32.load (i32.add (local.get $hp) (local.get $four)))))
        (local.set $a (i32.add (local.get $s0) (i32.mul (i32.load8_u (i32.add (local.get $c0) (local.get $r))) (i32.const 24))))
        (f64.store offset=0 (local.get $a) (f64.add (f64.load offset=0 (local.get $a)) (local.get $gk)))
        (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $hk)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $a (i32.add (local.get $s1) (i32.mul (i32.load8_u (i32.add (local.get $c1) (local.get $r))) (i32.const 24))))
        (f64.store offset=0 (local.get $a) (f64.add (f64.load offset=0 (local.get $a)) (local.get $gk)))
        (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $hk)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $a (i32.add (local.get $s2) (i32.mul (i32.load8_u (i32.add (local.get $c2) (local.get $r))) (i32.const 24))))
        (f64.store offset=0 (local.get $a) (f64.add (f64.load offset=0 (local.get $a)) (local.get $gk)))
        (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $hk)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $a (i32.add (local.get $s3) (i32.mul (i32.load8_u (i32.add (local.get $c3) (local.get $r))) (i32.const 24))))
        (f64.store offset=0 (local.get $a) (f64.add (f64.load offset=0 (local.get $a)) (local.get $gk)))
        (f64.store offset=8 (local.get $a) (f64.add (f64.load offset=8 (local.get $a)) (local.get $hk)))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))

  ;; Histograms of the active features from .. to - 1 (indices into the int arrays `active`,
  ;; feature numbers, and `slot`, first slots in doubles) of the n rows at `op` (order + start).
  (func (export "build")
    (param $hist i32) (param $bins i32) (param $rows i32) (param $active i32) (param $slot i32)
    (param $from i32) (param $to i32) (param $op i32) (param $n i32) (param $gp i32) (param $hp i32)
    (local $a i32) (local $p i32)
    (local.set $a (local.get $from))
    (block $fours
      (loop $next
        (br_if $fours (i32.gt_u (i32.add (local.get $a) (i32.const 4)) (local.get $to)))
        (local.set $p (i32.shl (local.get $a) (i32.const 2)))
        (call $four
          (i32.add (local.get $bins) (i32.mul (i32.load offset=0 (i32.add (local.get $active) (local.get $p))) (local.get $rows)))
          (i32.add (local.get $bins) (i32.mul (i32.load offset=4 (i32.add (local.get $active) (local.get $p))) (local.get $rows)))
          (i32.add (local.get $bins) (i32.mul (i32.load offset=8 (i32.add (local.get $active) (local.get $p))) (local.get $rows)))
          (i32.add (local.get $bins) (i32.mul (i32.load offset=12 (i32.add (local.get $active) (local.get $p))) (local.get $rows)))
          (i32.add (local.get $hist) (i32.shl (i32.load offset=0 (i32.add (local.get $slot) (local.get $p))) (i32.const 3)))
          (i32.add (local.get $hist) (i32.shl (i32.load offset=4 (i32.add (local.get $slot) (local.get $p))) (i32.const 3)))
          (i32.add (local.get $hist) (i32.shl (i32.load offset=8 (i32.add (local.get $slot) (local.get $p))) (i32.const 3)))
          (i32.add (local.get $hist) (i32.shl (i32.load offset=12 (i32.add (local.get $slot) (local.get $p))) (i32.const 3)))
          (local.get $op) (local.get $n) (local.get $gp) (local.get $hp))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br $next)))
    (block $ones
      (loop $next
        (br_if $ones (i32.ge_u (local.get $a) (local.get $to)))
        (local.set $p (i32.shl (local.get $a) (i32.const 2)))
        (call $one
          (i32.add (local.get $bins) (i32.mul (i32.load (i32.add (local.get $active) (local.get $p))) (local.get $rows)))
          (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $slot) (local.get $p))) (i32.const 3)))
          (local.get $op) (local.get $n) (local.get $gp) (local.get $hp))
        (local.set $a (i32.add (local.get $a) (i32.const 1)))
        (br $next))))

  ;; dst[i] -= src[i] for `count` doubles, two at a time (lane by lane, the same IEEE results as
  ;; one at a time).
  (func (export "subtract") (param $dst i32) (param $src i32) (param $count i32)
    (local $end i32) (local $pairs i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $pairs (i32.add (local.get $dst) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $dst) (local.get $pairs)))
        (v128.store (local.get $dst) (f64x2.sub (v128.load (local.get $dst)) (v128.load (local.get $src))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $next)))
    (if (i32.lt_u (local.get $dst) (local.get $end))
      (then (f64.store (local.get $dst) (f64.sub (f64.load (local.get $dst)) (f64.load (local.get $src)))))))

  ;; og[k] = g[order[k]], oh[k] = h[order[k]] for the n rows at `op`: the gradients of a node's
  ;; rows, in its order, so a histogram pass reads them front to back.
  (func (export "gather") (param $op i32) (param $n i32) (param $g i32) (param $h i32) (param $og i32) (param $oh i32)
    (local $k i32) (local $four i32) (local $r i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (local.set $four (i32.shl (local.get $k) (i32.const 2)))
        (local.set $r (i32.shl (i32.load (i32.add (local.get $op) (local.get $four))) (i32.const 2)))
        (i32.store (i32.add (local.get $og) (local.get $four)) (i32.load (i32.add (local.get $g) (local.get $r))))
        (i32.store (i32.add (local.get $oh) (local.get $four)) (i32.load (i32.add (local.get $h) (local.get $r))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next))))
)
