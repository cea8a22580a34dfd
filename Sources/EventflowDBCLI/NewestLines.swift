/// The last `capacity` elements of a sequence seen one at a time, in order: a ring that never
/// holds more than it will return.
struct NewestLines<Element> {
    private var ring: [Element] = []
    private var start = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Keeps `element`, dropping the oldest kept one when full.
    mutating func append(_ element: Element) {
        guard capacity > 0 else { return }
        if ring.count < capacity {
            ring.append(element)
        } else {
            ring[start] = element
            start = (start + 1) % capacity
        }
    }

    /// The kept elements, oldest first.
    var elements: [Element] {
        Array(ring[start...] + ring[..<start])
    }
}
