/// The median of the first `count` values of `values`, which it leaves as they are, using two
/// work buffers of at least `count` values.
///
/// Run and g charts put their centre line at the median (qicharts2 `qic.run`, `qic.g`, R's
/// `stats::median`: the middle value, or the mean of the two middle values). Selection finds it
/// in linear expected time without allocating, which matters on the dashboard path where a sort
/// would allocate a merge buffer for every series. Returns NaN for no values.
func median(
    ofFirst count: Int, in values: UnsafeMutablePointer<Double>, work a: UnsafeMutablePointer<Double>,
    _ b: UnsafeMutablePointer<Double>
) -> Double {
    if count == 0 { return .nan }
    let k = count / 2
    let upper = select(k, from: values, count: count, work: a, b)
    if count % 2 == 1 { return upper }
    // The lower middle is the (k − 1)-th smallest: the upper middle itself when fewer than k
    // values lie below it, else the largest value below it.
    var below = 0
    var largestBelow = -Double.infinity
    for i in 0..<count {
        let v = values[i]
        below &+= bit(v < upper)
        largestBelow = v < upper ? max(v, largestBelow) : largestBelow
    }
    let lower = below <= k - 1 ? upper : largestBelow
    return (lower + upper) / 2
}

/// The k-th smallest (0-based) of source[0..<count].
///
/// Quickselect with a median-of-three pivot, partitioning out of place: each pass writes the
/// values below the pivot to the front of a work buffer and those above it to the back,
/// moving the two write positions by the comparison results instead of branching, and only
/// counts the values equal to the pivot. With no branch on the data and no store feeding the
/// next load, a pass runs at the speed of the memory, where an in-place partition stalls on
/// mispredictions or store-to-load forwarding. Runs of equal values — all-equal data is a real
/// SPC case — end the search at once.
private func select(
    _ k: Int, from source: UnsafeMutablePointer<Double>, count: Int, work a: UnsafeMutablePointer<Double>,
    _ b: UnsafeMutablePointer<Double>
) -> Double {
    var input = source
    var output = a
    var n = count
    var k = k
    while n > 1 {
        let pivot = medianOfThree(input[0], input[n / 2], input[n - 1])
        var low = 0
        var high = n - 1
        for i in 0..<n {
            let v = input[i]
            output[low] = v
            output[high] = v
            low &+= bit(v < pivot)
            high &-= bit(v > pivot)
        }
        let equal = high - low + 1
        if k < low {
            n = low
            input = output
        } else if k < low + equal {
            return pivot
        } else {
            k -= low + equal
            n -= low + equal
            input = output + high + 1
        }
        // The next pass reads what this one wrote and writes into the other work buffer.
        output = output == a ? b : a
    }
    return input[0]
}

@inline(__always)
private func medianOfThree(_ a: Double, _ b: Double, _ c: Double) -> Double {
    max(min(a, b), min(max(a, b), c))
}
